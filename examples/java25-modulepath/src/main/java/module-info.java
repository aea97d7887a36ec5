/** A user's application on the module path: it reads TicketKeeper's API module and nothing else of it. */
module example.modulepath {
    requires io.ticketkeeper;
}
