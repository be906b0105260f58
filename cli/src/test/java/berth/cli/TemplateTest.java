package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {
    private static final JsonNode DATA = Json.parse(("{\"Id\":\"abc\",\"State\":{\"Running\":true,\"ExitCode\":0,\"Pid\":42},"
            + "\"Config\":{\"Cmd\":[\"sh\",\"-c\",\"x\"],\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"Env\":null,\"Empty\":\"\"},"
            + "\"Mounts\":[{\"Source\":\"/s1\",\"Destination\":\"/d1\"},{\"Source\":\"/s2\",\"Destination\":\"/d2\"}],\"Ratio\":1.5}").getBytes());

    private static String run(String template) {
        return Template.parse(template).execute(DATA);
    }

    @Test
    void fieldsPrintAsGoPrintsThem() {
        assertEquals("abc true 42", run("{{.Id}} {{.State.Running}} {{.State.Pid}}"));
        assertEquals("[sh -c x]", run("{{.Config.Cmd}}"));
        assertEquals("map[a:1 b:2]", run("{{.Config.Labels}}"));
        assertEquals("<nil> <no value> 1.5", run("{{.Config.Env}} {{.Config.Nothing}} {{.Ratio}}"));
    }

    @Test
    void functionsAndPipelines() {
        assertEquals("[\"sh\",\"-c\",\"x\"]", run("{{json .Config.Cmd}}"));
        assertEquals("{\"b\":\"2\",\"a\":\"1\"}", run("{{json .Config.Labels}}"));
        assertEquals("1 -c", run("{{index .Config.Labels \"a\"}} {{index .Config.Cmd 1}}"));
        assertEquals("ABC 3 sh,-c,x", run("{{.Id | upper}} {{len .Config.Cmd}} {{join .Config.Cmd \",\"}}"));
        assertEquals("id=\"abc\" pid=42\n", run("{{printf \"id=%q pid=%d\" .Id .State.Pid | println}}"));
    }

    @Test
    void controlStructuresAndVariables() {
        assertEquals("/s1:/d1 /s2:/d2 ", run("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}"));
        assertEquals("a=1,b=2,", run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}"));
        assertEquals("0:sh 1:-c 2:x ", run("{{range $i, $c := .Config.Cmd}}{{$i}}:{{$c}} {{end}}"));
        assertEquals("up", run("{{if .State.Running}}up{{else}}down{{end}}"));
        assertEquals("none", run("{{if .Config.Empty}}set{{else}}none{{end}}"));
        assertEquals("no env", run("{{range .Config.Env}}{{.}}{{else}}no env{{end}}"));
        assertEquals("abc/abc", run("{{$id := .Id}}{{$id}}/{{$.Id}}"));
        assertEquals("a\nb", Template.parse("a\n  {{- \"\" }}\nb").execute(DATA));
        assertEquals("xy", Template.parse("x {{- \"\" -}} y").execute(DATA));
    }

    @Test
    void unsupportedFormsAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run("{{.Id | nosuch}}")).getMessage().contains("function \"nosuch\" not defined"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.parse("{{with .State}}x{{end}}")).getMessage().contains("{{with}} is not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.parse("{{if .Id}}x")).getMessage().contains("missing {{end}}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Template.parse("{{.Id")).getMessage().contains("unclosed action"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run("{{.Id.Deeper}}")).getMessage().contains("can't evaluate field Deeper"));
    }
}
