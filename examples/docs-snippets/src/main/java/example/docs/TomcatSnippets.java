package example.docs;

import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import org.apache.catalina.connector.Connector;

/** The code of docs/tomcat.md. */
final class TomcatSnippets {
    private TomcatSnippets() {
    }

    // tag::implementation[]
    public static final class MyTicketKeeper extends TicketKeeperSslImplementation {
        @Override
        protected TicketKeeperOptions options() {
            return TicketKeeperOptions.builder().keySource(KeyRotation.defaults()).build();
        }
    }
    // end::implementation[]

    static Connector connector() {
        // tag::connector[]
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setProperty("SSLEnabled", "true");
        connector.setProperty("sslImplementationName", MyTicketKeeper.class.getName());
        // add SSLHostConfigs as above; TicketKeeperSslImplementation.openHandles() lists the connectors' handles
        // end::connector[]
        return connector;
    }
}
