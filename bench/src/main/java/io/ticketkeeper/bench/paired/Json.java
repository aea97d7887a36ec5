package io.ticketkeeper.bench.paired;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and null as JSON (NaN and infinities as null), and {@link Raw}
 * text as it is.
 */
final class Json {
    private Json() {
    }

    /** JSON text written by this class, e.g. a second JVM's cases, placed as it is (no check). */
    record Raw(String text) {
    }

    /**
     * The items of the array {@code name} in a document this class wrote, as JSON text to place in an array of the
     * same depth as a {@link Raw}: the text between {@code "name": [} and the document's last {@code ]}.
     */
    static String arrayItems(String document, String name) {
        String opening = "\"" + name + "\": [";
        int start = document.indexOf(opening);
        int end = document.lastIndexOf(']');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no array '" + name + "' in " + document);
        }
        return document.substring(start + opening.length(), end).strip();
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, "");
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Double number) {
            out.append(number.isNaN() || number.isInfinite() ? "null" : number.toString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(out, map, indent);
        } else if (value instanceof List<?> list) {
            array(out, list, indent);
        } else if (value instanceof Raw raw) {
            out.append(raw.text());
        } else {
            throw new IllegalArgumentException("not JSON: " + value.getClass());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, String indent) {
        String inner = indent + "  ";
        out.append("{");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            out.append('\n').append(inner);
            string(out, String.valueOf(entry.getKey()));
            out.append(": ");
            write(out, entry.getValue(), inner);
            out.append(entries.hasNext() ? "," : "\n" + indent);
        }
        out.append("}");
    }

    /** Lists of scalars (a batch) stay on one line; lists of objects get a line each. */
    private static void array(StringBuilder out, List<?> list, String indent) {
        boolean flat = list.stream()
                .noneMatch(item -> item instanceof Map || item instanceof List || item instanceof Raw);
        String inner = indent + "  ";
        out.append("[");
        for (int i = 0; i < list.size(); i++) {
            if (!flat) {
                out.append('\n').append(inner);
            }
            write(out, list.get(i), inner);
            if (i < list.size() - 1) {
                out.append(flat ? ", " : ",");
            }
        }
        out.append(flat || list.isEmpty() ? "]" : "\n" + indent + "]");
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
