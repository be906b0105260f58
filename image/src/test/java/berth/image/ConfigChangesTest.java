package berth.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigChangesTest {

    @Test
    void dockerfileInstructionsSetTheRunConfig() {
        ImageConfig.RunConfig c = ConfigChanges.apply(null, List.of(
                "CMD [\"/bin/sh\", \"-c\", \"echo hi\"]",
                "ENTRYPOINT /start.sh --fast",
                "ENV A=1 B=\"two words\"",
                "ENV LEGACY value with spaces",
                "WORKDIR /srv",
                "USER 1000:1000",
                "LABEL maintainer=me",
                "EXPOSE 80 53/udp",
                "VOLUME /data",
                "STOPSIGNAL SIGINT"));
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), c.cmd());
        assertEquals(List.of("/bin/sh", "-c", "/start.sh --fast"), c.entrypoint());
        assertEquals(List.of("A=1", "B=two words", "LEGACY=value with spaces"), c.env());
        assertEquals("/srv", c.workingDir());
        assertEquals("1000:1000", c.user());
        assertEquals(Map.of("maintainer", "me"), c.labels());
        assertEquals(List.of("80/tcp", "53/udp"), List.copyOf(c.exposedPorts().keySet()));
        assertEquals(List.of("/data"), List.copyOf(c.volumes().keySet()));
        assertEquals("SIGINT", c.stopSignal());
    }

    @Test
    void laterEnvReplacesEarlier() {
        ImageConfig.RunConfig c = ConfigChanges.apply(null, List.of("ENV A=1", "ENV A=2"));
        assertEquals(List.of("A=2"), c.env());
    }

    @Test
    void unknownInstructionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigChanges.apply(null, List.of("RUN rm -rf /")));
        assertEquals(true, e.getMessage().contains("RUN is not one of"));
    }
}
