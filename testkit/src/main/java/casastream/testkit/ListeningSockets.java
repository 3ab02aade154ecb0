package casastream.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc} (no external program):
 * its socket inodes from {@code /proc/PID/fd}, matched against the LISTEN rows of
 * {@code /proc/PID/net/tcp} and {@code tcp6}. For tests that check a process is closed to the
 * network by default.
 */
public final class ListeningSockets {

  private static final String LISTEN = "0A";

  /** One listening socket: its local address and port. */
  public record Listener(InetAddress address, int port) {
    public boolean loopback() {
      return address.isLoopbackAddress() || isMappedLoopback(address);
    }

    @Override
    public String toString() {
      return (address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
          + ":" + port;
    }
  }

  private ListeningSockets() {}

  /** The sockets this JVM listens on. */
  /** A port free on localhost now (another process may take it before the caller binds it). */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public static List<Listener> ofThisProcess() throws IOException {
    return of(ProcessHandle.current().pid());
  }

  /** The sockets process {@code pid} listens on. */
  public static List<Listener> of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while we listed them
        }
      }
    }
    List<Listener> listeners = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = proc.resolve("net").resolve(table);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      List<String> rows = Files.readAllLines(file);
      for (String row : rows.subList(1, rows.size())) {
        String[] fields = row.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
          listeners.add(parse(fields[1]));
        }
      }
    }
    return listeners;
  }

  /** {@code /proc/net/tcp}'s {@code ADDRESS:PORT} in hex, the address in the kernel's byte order (32-bit words). */
  static Listener parse(String hexAddressAndPort) {
    String[] parts = hexAddressAndPort.split(":");
    String hex = parts[0];
    byte[] address = new byte[hex.length() / 2];
    for (int word = 0; word < address.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        address[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return new Listener(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hexAddressAndPort, e);
    }
  }

  /** {@code ::ffff:127.x.y.z}, how a socket bound to an IPv4 loopback address shows in tcp6. */
  private static boolean isMappedLoopback(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff && bytes[12] == 127;
  }
}
