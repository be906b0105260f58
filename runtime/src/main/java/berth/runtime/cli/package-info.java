/**
 * {@code berth-runtime}: the runc-compatible command line. One class per verb; {@link berth.runtime.cli.Main}
 * holds the global options and turns every failure into one line on stderr (and, with {@code --log}, a
 * log entry in the format containerd and dockerd read back).
 */
package berth.runtime.cli;
