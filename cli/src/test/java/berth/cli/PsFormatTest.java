package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ps rows as the docker CLI's formatter shows them. */
class PsFormatTest {
    private static final JsonNode CONTAINER = Json.parse(("{\"Id\":\"0123456789abcdef0123\",\"Names\":[\"/web\",\"/other/alias\"],"
            + "\"Image\":\"sha256:abcdef0123456789abcdef\",\"Command\":\"sh -c 'echo a long command line'\",\"Created\":1700000000,"
            + "\"Ports\":[{\"IP\":\"::\",\"PrivatePort\":81,\"PublicPort\":18081,\"Type\":\"udp\"},{\"PrivatePort\":443,\"Type\":\"tcp\"},"
            + "{\"IP\":\"0.0.0.0\",\"PrivatePort\":81,\"PublicPort\":18081,\"Type\":\"udp\"},{\"IP\":\"127.0.0.1\",\"PrivatePort\":80,\"PublicPort\":18080,\"Type\":\"tcp\"}],"
            + "\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"State\":\"running\",\"Status\":\"Up 5 minutes\",\"SizeRw\":12,\"SizeRootFs\":4260000,"
            + "\"Mounts\":[{\"Name\":\"0123456789abcdef0123456789\",\"Driver\":\"local\"}],\"NetworkSettings\":{\"Networks\":{\"net2\":{},\"bridge\":{}}}}").getBytes());

    @Test
    void rowFieldsAreTruncatedAndJoinedLikeDocker() {
        JsonNode r = PsCommand.row(CONTAINER, true);
        assertEquals("0123456789ab", r.path("ID").asText());
        assertEquals("abcdef012345", r.path("Image").asText());
        assertEquals("\"sh -c 'echo a long …\"", r.path("Command").asText());
        assertEquals("web", r.path("Names").asText());
        assertEquals("127.0.0.1:18080->80/tcp, 0.0.0.0:18081->81/udp, [::]:18081->81/udp, 443/tcp", r.path("Ports").asText());
        assertEquals("a=1,b=2", r.path("Labels").asText());
        assertEquals("12B (virtual 4.26MB)", r.path("Size").asText());
        assertEquals("0123456789abcd…", r.path("Mounts").asText());
        assertEquals("1", r.path("LocalVolumes").asText());
        assertEquals("bridge,net2", r.path("Networks").asText());
        JsonNode full = PsCommand.row(CONTAINER, false);
        assertEquals("web,other/alias", full.path("Names").asText());
        assertEquals("\"sh -c 'echo a long command line'\"", full.path("Command").asText());
    }

    @Test
    void tableHeadersNameEachField() {
        assertEquals("CONTAINER ID\tNAMES\tCUSTOM", Listing.header("{{.ID}}\t{{ .Names }}\t{{.Custom}}", Map.of("ID", "CONTAINER ID", "Names", "NAMES")));
    }
}
