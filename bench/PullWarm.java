import berth.image.ImageService;
import berth.image.Platform;
import berth.image.Progress;
import berth.image.Reference;
import berth.image.registry.CredentialStore;
import berth.image.registry.RegistryClient;
import berth.image.registry.RegistryHosts;
import berth.sys.LinuxSyscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Pulls in one warm JVM, as the engine's daemon will: REF pulled N+1 times, each into a new empty store
 * under DIR (the first run warms the JIT and is not counted). Run by bench/pull.sh; prints every run and
 * the median in milliseconds.
 *
 *   java -cp 'cli/target/lib/*' bench/PullWarm.java REF DIR N
 */
public class PullWarm {
    public static void main(String[] a) throws Exception {
        Reference ref = Reference.parse(a[0]);
        int n = Integer.parseInt(a[2]);
        long[] ms = new long[n];
        for (int i = 0; i <= n; i++) {
            Path root = Files.createDirectories(Path.of(a[1], "warm-" + i));
            new ProcessBuilder("sync").start().waitFor();
            Thread.sleep(2000);
            long t0 = System.nanoTime();
            ImageService svc = new ImageService(root, new LinuxSyscalls(), null);
            RegistryClient client = new RegistryClient(RegistryClient.newHttpClient(),
                    new CredentialStore(root.resolve("cfg")), new RegistryHosts(Set.of()));
            svc.pull(ref, Platform.LINUX_AMD64, client, Progress.NONE);
            long t = (System.nanoTime() - t0) / 1_000_000;
            if (i == 0) {
                System.out.println("warm-up pull: " + t + " ms");
            } else {
                ms[i - 1] = t;
                System.out.println("warm run " + i + ": berth " + t + " ms");
            }
        }
        Arrays.sort(ms);
        System.out.println("berth pull in a warm JVM: median " + ms[(n - 1) / 2] + " ms over " + n + " runs");
    }
}
