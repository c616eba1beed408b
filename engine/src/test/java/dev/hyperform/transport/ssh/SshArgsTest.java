package dev.hyperform.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.transport.HostKeyPolicy;
import dev.hyperform.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ansible_ssh_common_args / ansible_ssh_extra_args as Ansible users write them, read as OpenSSH would. */
class SshArgsTest {

    private static SshOptions common(String text) {
        return SshArgs.parse("node2", Map.of("ansible_ssh_common_args", text));
    }

    private static String jumps(SshOptions o) {
        return o.jump().map(l -> l.stream().map(JumpHop::toString).collect(Collectors.joining(","))).orElse("<unset>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-o ProxyJump=node1                                     | node1",
            "-o ProxyJump=root@node1                                | root@node1",
            "-o ProxyJump=root@node1:2222                           | root@node1:2222",
            "-oProxyJump=node1                                      | node1",
            "-o proxyjump=node1                                     | node1",
            "-o 'ProxyJump node1'                                   | node1",
            "-o \"ProxyJump = hf@node1:22\"                         | hf@node1:22",
            "-J node1                                               | node1",
            "-Jnode1                                                | node1",
            "-J a@bastion:2200,node1                                | a@bastion:2200,node1",
            "-o ProxyJump=ssh://a@bastion:2200,ssh://node1/         | a@bastion:2200,node1",
            "-o ProxyJump=[fd00::1]:2222                            | [fd00::1]:2222",
            "-o ProxyJump=u@[fd00::1]                               | u@[fd00::1]",
            "-o ProxyJump=none                                      | ''",
            "-o ProxyJump=node1 -o ProxyJump=node3                  | node1",
            "-J node1 -o ProxyJump=node3                            | node1",
            "-o StrictHostKeyChecking=no                            | <unset>",
            "-o ProxyCommand='ssh -W %h:%p -q root@bastion'         | root@bastion",
            "-o ProxyCommand=\"ssh -q -p 2222 -l hf -W %h:%p bastion\" | hf@bastion:2222",
            "-o ProxyCommand=\"/usr/bin/ssh -W %h:%p bastion\"     | bastion",
            "-o ProxyCommand=none                                   | ''",
    })
    void proxyJumpAsUsersWriteIt(String args, String expected) {
        assertEquals(expected, jumps(common(args)));
    }

    @Test
    void theOtherOptionsThatAreHonoured() {
        SshOptions o = common("-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile='/a/kh /b/kh' -o ConnectTimeout=7"
                + " -o ServerAliveInterval=5 -p 2222 -l hf -i /k1 -o IdentityFile=/k2 -o ControlMaster=auto"
                + " -o ControlPersist=60s -o BatchMode=yes -o LogLevel=ERROR -q");
        assertEquals(Optional.of(HostKeyPolicy.ACCEPT_NEW), o.hostKeyPolicy());
        assertEquals(Optional.of(List.of(Path.of("/a/kh"), Path.of("/b/kh"))), o.knownHosts());
        assertEquals(Optional.of(Duration.ofSeconds(7)), o.connectTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(5)), o.keepAlive());
        assertEquals(2222, o.port().getAsInt());
        assertEquals(Optional.of("hf"), o.user());
        assertEquals(List.of(Path.of("/k1"), Path.of("/k2")), o.identityFiles());
    }

    @ParameterizedTest(name = "StrictHostKeyChecking={0}")
    @CsvSource({"yes, STRICT", "ask, STRICT", "accept-new, ACCEPT_NEW", "no, OFF", "off, OFF"})
    void strictHostKeyChecking(String value, HostKeyPolicy policy) {
        assertEquals(Optional.of(policy), common("-o StrictHostKeyChecking=" + value).hostKeyPolicy());
    }

    @Test
    void commonArgsComeBeforeExtraArgsAndTheFirstValueWins() {
        SshOptions o = SshArgs.parse("node2", Map.of("ansible_ssh_extra_args", "-J node3 -p 2200",
                "ansible_ssh_common_args", "-J node1", "ansible_ssh_args", "-o ControlMaster=auto -o ControlPersist=60s"));
        assertEquals("node1", jumps(o));
        assertEquals(2200, o.port().getAsInt());
    }

    @Test
    void noArgumentsSayNothing() {
        assertEquals(SshOptions.NONE, SshArgs.parse("node2", Map.of("ansible_user", "root")));
        assertEquals(SshOptions.NONE, common("  "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-o Compression=yes                        | 'Compression'",
            "-o ForwardAgent=yes                       | 'ForwardAgent'",
            "-o GSSAPIAuthentication=no                | 'GSSAPIAuthentication'",
            "-C                                        | '-C'",
            "-A                                        | '-A'",
            "-F /etc/ssh/other_config                  | '-F'",
            "-o ProxyJump                              | KEY=VALUE",
            "-J                                        | needs a value",
            "-o ProxyJump=root@                        | no host name",
            "-o ProxyJump=node1:99999                  | 1 to 65535",
            "-o ProxyJump=node1,                       | empty jump host",
            "-o StrictHostKeyChecking=maybe            | maybe",
            "-o ConnectTimeout=soon                    | soon",
            "-o ProxyCommand='nc -X 5 -x proxy %h %p'  | ProxyJump=",
            "-o ProxyCommand='ssh -i k -W %h:%p b'     | ProxyJump=",
            "-o ProxyCommand='ssh bastion'             | ProxyJump=",
            "-o 'ProxyJump=a b'                        | no host name",
            "-o ProxyJump='node1                       | quot",
    })
    void anythingElseIsRefusedNamingTheOptionTheVariableAndTheHost(String args, String named) {
        TransportException e = assertThrows(TransportException.class, () -> common(args));
        String m = e.getMessage() + " / " + e.hint();
        assertTrue(m.contains(named), m);
        assertTrue(e.getMessage().startsWith("node2: ansible_ssh_common_args: "), e.getMessage());
    }

    @Test
    void theLabInventorysOwnArgumentsAreHonoured() {
        SshOptions o = common("-o UserKnownHostsFile=/var/lib/hyperform-lab/known_hosts -o StrictHostKeyChecking=yes");
        assertEquals(Optional.of(List.of(Path.of("/var/lib/hyperform-lab/known_hosts"))), o.knownHosts());
        assertEquals(Optional.of(HostKeyPolicy.STRICT), o.hostKeyPolicy());
    }
}
