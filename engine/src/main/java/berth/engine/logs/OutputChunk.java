package berth.engine.logs;

/**
 * A piece of a container's output as the copier read it, for attached clients. The array is shared between the
 * subscribers: read it, never change it.
 */
public record OutputChunk(StdStream stream, byte[] data) {
}
