package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints list rows through a {@code --format} template as the docker CLI's formatter does: a {@code table}
 * prefix aligns the columns under a header naming each {@code {{.Field}}}, and {@code \t} separates them;
 * without it, each row is the template's output on its own line.
 */
final class Listing {
    private static final Pattern FIELD = Pattern.compile("\\{\\{-?\\s*\\.(\\w+)\\s*-?}}");

    private Listing() {}

    static void print(Main m, String format, List<? extends JsonNode> rows, Map<String, String> headers) {
        boolean table = format.startsWith("table");
        String body = (table ? format.substring(5).stripLeading() : format).replace("\\t", "\t").replace("\\n", "\n");
        Template template = Template.parse(body);
        List<String> lines = new ArrayList<>();
        for (JsonNode r : rows) lines.add(template.execute(sorted(r)));
        if (!table) {
            for (String l : lines) m.out.println(l);
            return;
        }
        Table t = new Table(header(body, headers).split("\t", -1));
        for (String l : lines) t.row(l.split("\t", -1));
        t.print(m.out);
    }

    /** The row with its fields in name order, as the docker CLI's {@code {{json .}}} of a row prints them. */
    private static JsonNode sorted(JsonNode row) {
        ObjectNode s = Json.object();
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        for (String n : names) s.set(n, row.get(n));
        return s;
    }

    /** The header row of a table format: each {@code {{.Field}}} replaced by its column name. */
    static String header(String format, Map<String, String> headers) {
        Matcher mt = FIELD.matcher(format);
        StringBuilder b = new StringBuilder();
        while (mt.find()) {
            String name = headers.getOrDefault(mt.group(1), mt.group(1).toUpperCase(java.util.Locale.ROOT));
            mt.appendReplacement(b, Matcher.quoteReplacement(name));
        }
        mt.appendTail(b);
        return b.toString();
    }
}
