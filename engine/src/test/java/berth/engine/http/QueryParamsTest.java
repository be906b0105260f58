package berth.engine.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryParamsTest {
    private static QueryParams parse(String uri) {
        return new QueryParams(new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 1024, true).parameters());
    }

    @Test
    void booleansAsDockerdReadsThem() {
        QueryParams q = parse("/x?a=1&b=0&c=true&d=False&e=True&f=yes&g=no&h=none&i&j=&k=NO");
        assertTrue(q.bool("a", false));
        assertFalse(q.bool("b", true));
        assertTrue(q.bool("c", false));
        assertFalse(q.bool("d", true));
        assertTrue(q.bool("e", false));
        assertTrue(q.bool("f", false));
        assertFalse(q.bool("g", true));
        assertFalse(q.bool("h", true));
        assertFalse(q.bool("i", true), "a key without value is false, as in dockerd");
        assertFalse(q.bool("j", true));
        assertFalse(q.bool("k", true));
        assertTrue(q.bool("absent", true));
        assertFalse(q.bool("absent", false));
    }

    @Test
    void integers() {
        QueryParams q = parse("/x?t=10&tail=&neg=-3&junk=ten");
        assertEquals(10, q.integer("t", 0));
        assertEquals(7, q.integer("tail", 7));
        assertEquals(-3, q.integer("neg", 0));
        assertEquals(5, q.integer("absent", 5));
        ApiException e = assertThrows(ApiException.class, () -> q.integer("junk", 0));
        assertEquals(400, e.status());
    }

    @Test
    void valuesAreDecodedAndRepeatable() {
        QueryParams q = parse("/x?filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D&tag=a+b&tag=c%3Bd");
        assertEquals("{\"label\":{\"a=b\":true}}", q.first("filters"));
        assertEquals(List.of("a b", "c;d"), q.all("tag"));
        assertNull(q.first("absent"));
        assertEquals(List.of(), q.all("absent"));
    }
}
