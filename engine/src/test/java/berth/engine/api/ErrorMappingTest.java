package berth.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import berth.engine.archive.ArchiveException;
import berth.engine.volumes.VolumeException;

/** Clients branch on these statuses: docker-compose creates a volume after a 404, docker cp reports a missing path. */
class ErrorMappingTest {
    private final ErrorMapping mapping = new ErrorMapping();

    @Test
    void volumeFailuresAreNotFoundConflictOrBadRequest() {
        assertEquals(404, mapping.map(new VolumeException.NotFound("get v: no such volume")).status());
        assertEquals(409, mapping.map(new VolumeException.Conflict("remove v: volume is in use")).status());
        assertEquals(400, mapping.map(new VolumeException.Invalid("create v/x: bad name")).status());
        assertEquals(500, mapping.map(new VolumeException("mount v: EIO")).status());
    }

    @Test
    void archiveFailuresAreNotFoundOrBadRequest() {
        assertEquals(404, mapping.map(new ArchiveException.NotFound("Could not find the file /x in container c")).status());
        assertEquals(400, mapping.map(new ArchiveException.Invalid("extraction point is not a directory")).status());
        assertEquals("extraction point is not a directory", mapping.map(new ArchiveException.Invalid("extraction point is not a directory")).getMessage());
    }
}
