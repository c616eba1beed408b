package dev.hyperform.it;

/**
 * A node running spdk-vhost-agent next to an SPDK target (the JSON-RPC test double), as the agent's scenarios drive
 * it: a local temp directory with processes (unit test) or a lab host with systemd services (lab test).
 */
interface AgentNode {
    /** The message file virt-launcher writes. */
    VirtLauncherSide.MessageFile messageFile();

    /** Whether the controller socket SOCKET-DIR/NAME exists and is a socket. */
    boolean socket(String name);

    boolean marker();

    /** One JSON-RPC call to the node's SPDK target (params null = none): its answer line. */
    String rpc(String method, String params);

    /** The size in MiB of RBD image replicapool/NAME, -1 when there is none (the rbd test double's, or Ceph's). */
    long imageMib(String name);

    String agentLog();

    void stopAgent();

    void startAgent();

    /** The SPDK target killed with SIGKILL (as WSF's live-recovery test does) and started again. */
    void killAndRestartSpdk();

    void stopSpdk();

    void startSpdk();
}
