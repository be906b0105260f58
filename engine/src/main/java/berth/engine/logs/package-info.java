/**
 * Container logs and live output, compatible with Docker's json-file log driver and stream framing.
 *
 * <p>While a container runs, one {@link berth.engine.logs.Copier} per output stream reads what the container
 * writes (from its FIFO) and does two things with each read: hands the raw bytes to the clients attached through
 * {@link berth.engine.logs.Subscribers}, and cuts them into messages for the container's
 * {@link berth.engine.logs.JsonFileLog}, {@code <id>-json.log}, written byte for byte as Docker writes it so that
 * tools reading Docker's log files read berth's. {@link berth.engine.logs.LogReader} serves {@code docker logs}
 * ({@link berth.engine.logs.ReadOptions}: streams, tail, since/until, timestamps, follow) from those files;
 * {@link berth.engine.logs.StreamFraming} writes the output to a client multiplexed (no TTY) or raw (TTY), and
 * {@link berth.engine.logs.FrameReader} splits a multiplexed stream back for the berth CLI.
 * {@link berth.engine.logs.DockerTimestamps} and {@link berth.engine.logs.Rfc3339} read and write the API's and the
 * log's times as Docker does.
 */
package berth.engine.logs;
