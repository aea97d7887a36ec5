package io.ticketkeeper.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link TicketKeeperConfigurationException} into Spring Boot's start failure report: what, and what to do. */
public class TicketKeeperFailureAnalyzer extends AbstractFailureAnalyzer<TicketKeeperConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TicketKeeperConfigurationException cause) {
        return new FailureAnalysis("TicketKeeper: " + cause.getMessage(), cause.action(), cause);
    }
}
