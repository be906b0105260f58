package berth.engine.volumes;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What {@code POST /volumes/prune} answers: the names of the volumes removed and the bytes they held. */
public record PruneReport(
        @JsonProperty("VolumesDeleted") List<String> volumesDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
    public PruneReport {
        volumesDeleted = List.copyOf(volumesDeleted);
    }
}
