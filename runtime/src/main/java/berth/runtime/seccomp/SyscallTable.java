package berth.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Syscall name to number for one ABI, read from a {@code "name number"} resource made by the generator. */
record SyscallTable(Abi abi, Map<String, Integer> numbers) {
    SyscallTable {
        numbers = Map.copyOf(numbers);
    }

    /** The syscall number as seen in seccomp_data.nr (x32 numbers include the x32 bit), or null. */
    Integer lookup(String name) {
        return numbers.get(name);
    }

    static SyscallTable load(Abi abi) {
        String resource = abi.tableResource();
        Map<String, Integer> numbers = new HashMap<>();
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalStateException(resource + ": bad line \"" + line + "\"");
                }
                numbers.put(parts[0], abi.numberBase() | Integer.parseInt(parts[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
        return new SyscallTable(abi, numbers);
    }
}
