package io.ticketkeeper.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads numbers out of {@code load --json}'s one object, by field name (names are unique in it). */
final class LoadJson {
    private LoadJson() {
    }

    /** The number after {@code "name":}, or 0 when the field is absent (an empty count map has no entries). */
    static long number(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    /** The object after {@code "name":}, e.g. {@code {"timeout":2}}. */
    static String object(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\{[^}]*\\})").matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return matcher.group(1);
    }
}
