import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX client as small as a user's: {@code java JmxRead.java URL PATTERN ATTRIBUTE...} prints
 * {@code ATTRIBUTE=value} of the one MBean matching PATTERN, on one line (bin/lib/example-servers.sh's tk_jmx).
 * Exits 1 unless exactly one MBean matches.
 */
public final class JmxRead {
    public static void main(String[] args) throws Exception {
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(args[0]))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> names = server.queryNames(new ObjectName(args[1]), null);
            if (names.size() != 1) {
                System.err.println("JmxRead: " + names.size() + " MBeans match " + args[1] + ": " + names);
                System.exit(1);
            }
            ObjectName name = names.iterator().next();
            StringBuilder line = new StringBuilder();
            for (int i = 2; i < args.length; i++) {
                line.append(i > 2 ? " " : "").append(args[i]).append('=').append(server.getAttribute(name, args[i]));
            }
            System.out.println(line);
        }
    }
}
