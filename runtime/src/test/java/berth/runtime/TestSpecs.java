package berth.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Configurations for unit tests, written as JSON with single quotes for readability. */
public final class TestSpecs {
    private TestSpecs() {}

    public static Map<String, Object> json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "test config");
    }

    /** A minimal valid configuration with the given extra top-level members spliced in. */
    public static Map<String, Object> minimal(String extraMembers) {
        return json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},"
                + "'process':{'args':['sh'],'cwd':'/','env':['PATH=/bin']},"
                + "'linux':{'namespaces':[{'type':'mount'},{'type':'pid'},{'type':'uts'}]}"
                + (extraMembers.isEmpty() ? "" : "," + extraMembers) + "}");
    }
}
