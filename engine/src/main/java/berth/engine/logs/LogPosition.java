package berth.engine.logs;

/**
 * How far a json-file log has been written: the number of rotations so far, the size of the current file (always
 * at an entry boundary), and whether the log is closed, so that nothing more will come.
 */
record LogPosition(long rotation, long size, boolean closed) {
    boolean samePlace(LogPosition other) {
        return rotation == other.rotation && size == other.size;
    }
}
