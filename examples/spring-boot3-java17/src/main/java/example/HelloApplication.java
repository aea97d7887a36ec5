package example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** An ordinary Spring Boot application: nothing in its code knows TicketKeeper; the starter does the work. */
@SpringBootApplication
@RestController
public class HelloApplication {
    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }

    @GetMapping("/")
    String hello(@RequestHeader(name = "Host", defaultValue = "") String host) {
        return "hello from " + host + "\n";
    }
}
