package berth.cgroups;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reading and writing cgroup control files, with errors that name the file. */
final class CgroupFiles {
    private CgroupFiles() {}

    /** Writes {@code value} with a single write(2), as control files require. */
    static void write(Path dir, String file, String value) {
        Path p = dir.resolve(file);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            throw new CgroupException("write " + value + " to " + p + ": the kernel offers no such control file");
        } catch (IOException e) {
            throw new CgroupException("write " + value + " to " + p + ": " + e.getMessage(), e);
        }
    }

    static String read(Path dir, String file) {
        Path p = dir.resolve(file);
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            throw new CgroupException("read " + p + ": " + e.getMessage(), e);
        }
    }

    static boolean has(Path dir, String file) {
        return Files.exists(dir.resolve(file));
    }

    static long readLong(Path dir, String file) {
        String s = read(dir, file);
        return s.equals("max") ? -1 : Long.parseLong(s);
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events) as a map; missing file gives an empty map. */
    static Map<String, Long> keyValues(Path dir, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!has(dir, file)) return out;
        for (String line : read(dir, file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a number: not a counter
                }
            }
        }
        return out;
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CgroupException("create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The pids in cgroup.procs of {@code dir} and every cgroup below it. */
    static List<Integer> pids(Path dir) {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                if (!has(d, "cgroup.procs")) continue;
                for (String line : Files.readAllLines(d.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) out.add(Integer.parseInt(line.trim()));
                }
            }
        } catch (IOException e) {
            throw new CgroupException("list processes of " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes {@code dir} and the cgroups below it (deepest first), retrying on EBUSY for up to 5 s. */
    static void removeTree(Path dir) {
        try {
            Files.deleteIfExists(dir); // the usual case: an empty leaf cgroup, one rmdir
            return;
        } catch (IOException e) {
            // children, or still busy: the walk below
        }
        if (!Files.isDirectory(dir)) return;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(dir)) {
                dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            } catch (IOException e) {
                if (!Files.exists(dir)) return;
                throw new CgroupException("remove cgroup " + dir + ": " + e.getMessage(), e);
            }
            IOException last = null;
            for (Path d : dirs) {
                try {
                    Files.deleteIfExists(d); // rmdir: the control files are not real files
                } catch (IOException e) {
                    last = e;
                }
            }
            if (!Files.exists(dir)) return;
            if (System.nanoTime() > deadline) {
                throw new CgroupException("remove cgroup " + dir + ": " + (last == null ? "still busy" : last.getMessage()));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("remove cgroup " + dir + ": interrupted");
            }
        }
    }

    static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // none
        }
        return out;
    }
}
