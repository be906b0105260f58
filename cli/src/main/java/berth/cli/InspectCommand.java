package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.Json;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code inspect}: each name is looked up as a container, an image, a network, then a volume (or only as
 * {@code --type} says), and printed as one indented JSON array, or through a {@code --format} template.
 */
final class InspectCommand {
    private InspectCommand() {}

    /** The kinds of object inspect knows, in the order the docker CLI tries them. */
    enum Kind {
        CONTAINER("/containers/%s/json"), IMAGE("/images/%s/json"), NETWORK("/networks/%s"), VOLUME("/volumes/%s");

        final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    static final List<Main.Command> ALL;

    static {
        CliFlags f = new CliFlags().value("format", 'f', "format the output using the given Go template")
                .value("type", '\0', "return JSON for a specified type (container, image, network, volume)")
                .bool("size", 's', "display total file sizes if the type is container");
        ALL = List.of(Main.Command.of("inspect", "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects", f, InspectCommand::run),
                Main.Command.of("container inspect", "[OPTIONS] CONTAINER [CONTAINER...]", "Display detailed information on one or more containers",
                        new CliFlags().value("format", 'f', "format the output using the given Go template").bool("size", 's', "display total file sizes"),
                        (m, p) -> inspect(m, p.args(), p.get("format"), List.of(Kind.CONTAINER), p.is("size"))));
    }

    static int run(Main m, CliFlags.Parsed p) throws IOException {
        List<Kind> kinds = List.of(Kind.values());
        if (p.get("type") != null) {
            try {
                kinds = List.of(Kind.valueOf(p.get("type").toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("\"" + p.get("type") + "\" is not a valid value for --type");
            }
        }
        return inspect(m, p.args(), p.get("format"), kinds, p.is("size"));
    }

    static int inspect(Main m, List<String> names, String format, List<Kind> kinds) throws IOException {
        return inspect(m, names, format, kinds, false);
    }

    static int inspect(Main m, List<String> names, String format, List<Kind> kinds, boolean size) throws IOException {
        if (names.isEmpty()) throw new UsageException("\"inspect\" requires at least 1 argument");
        Template template = format == null || format.equals("json") ? null : Template.parse(format);
        ApiClient api = m.api();
        ArrayNode found = Json.array();
        int status = 0;
        for (String name : names) {
            JsonNode object = find(api, name, kinds, size);
            if (object == null) {
                String what = kinds.size() == 1 ? kinds.getFirst().name().toLowerCase(Locale.ROOT) : "object";
                m.err.println("Error: No such " + what + ": " + name);
                status = 1;
                continue;
            }
            if (template != null) m.out.println(template.execute(object));
            else found.add(object);
        }
        if (template == null) m.out.println(Json.pretty(found));
        return status;
    }

    private static JsonNode find(ApiClient api, String name, List<Kind> kinds, boolean size) throws IOException {
        for (Kind k : kinds) {
            try {
                Query q = k == Kind.CONTAINER && size ? Query.of().add("size", true) : null;
                return api.get(String.format(k.path, name), q);
            } catch (DaemonException e) {
                if (!e.notFound() && e.status() != 400) throw e;
            }
        }
        return null;
    }
}
