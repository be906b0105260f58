/**
 * {@code berth-runtime}: the runc-compatible command line. One class per verb; {@link berth.runtime.cli.Main}
 * holds the global options and turns every failure into one line on stderr (and, with {@code --log}, a log
 * entry in the format containerd and dockerd read back). Arguments are read by {@link berth.runtime.cli.Flags},
 * a small parser of runc's grammar: a general-purpose CLI library cost 300 ms of start-up per command here
 * (measured with and without the AOT cache), more than the whole budget of a container start.
 */
package berth.runtime.cli;
