package example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** An ordinary Spring WebFlux application: nothing in its code knows TicketKeeper; the starter does the work. */
@SpringBootApplication
@RestController
public class HelloApplication {
    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }

    @GetMapping("/")
    Mono<String> hello(@RequestHeader(name = "Host", defaultValue = "") String host) {
        return Mono.just("hello from " + host + "\n");
    }
}
