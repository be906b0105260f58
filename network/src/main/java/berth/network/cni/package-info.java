/**
 * A CNI runtime after the Container Network Interface specification 1.0.0, as libcni implements it for
 * containerd and CRI-O: plugin binaries looked up in a list of directories and run with {@code CNI_COMMAND},
 * {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME}, {@code CNI_ARGS} and {@code CNI_PATH} in
 * their environment and their configuration on stdin; network configuration lists executed plugin by plugin
 * (ADD and CHECK in order with the previous plugin's result as {@code prevResult}, DEL in reverse with the
 * cached result); {@code runtimeConfig} for the capabilities a plugin declares; every ADD result cached on
 * disk in libcni's format ({@code <cacheDir>/results/<network>-<containerId>-<ifname>}) so that DEL and
 * CHECK work across restarts; plugin errors turned into one-line {@link berth.network.cni.CniException}s.
 * Nothing here knows about berth's networks: {@code berth.network} builds the configurations.
 */
package berth.network.cni;
