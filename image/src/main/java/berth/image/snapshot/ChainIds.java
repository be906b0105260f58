package berth.image.snapshot;

import berth.image.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (OCI image spec): the identity of a layer together with everything under it.
 * {@code ChainID(L0) = DiffID(L0)}, {@code ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))}.
 */
public final class ChainIds {
    private ChainIds() {}

    /** The chain ID of each prefix of {@code diffIds}, bottom first. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest diff : diffIds) {
            chain = chain == null ? diff : Digest.of((chain + " " + diff).getBytes(StandardCharsets.US_ASCII));
            out.add(chain);
        }
        return out;
    }
}
