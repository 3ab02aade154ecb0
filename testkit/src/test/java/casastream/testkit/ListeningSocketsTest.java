package casastream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

  @Test
  void listsThisProcessesListenersAndTellsLoopbackFromOpen() throws Exception {
    try (ServerSocket local = new ServerSocket();
         ServerSocket open = new ServerSocket()) {
      local.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      open.bind(new InetSocketAddress(0));
      var listeners = ListeningSockets.ofThisProcess();
      assertThat(listeners).filteredOn(l -> l.port() == local.getLocalPort())
          .singleElement().satisfies(l -> assertThat(l.loopback()).as("%s", l).isTrue());
      assertThat(listeners).filteredOn(l -> l.port() == open.getLocalPort())
          .singleElement().satisfies(l -> assertThat(l.loopback()).as("%s", l).isFalse());
    }
  }

  @Test
  void readsTheKernelsByteOrder() {
    assertThat(ListeningSockets.parse("0100007F:1F90").toString()).isEqualTo("127.0.0.1:8080");
    assertThat(ListeningSockets.parse("0000000000000000FFFF00000100007F:17EB").loopback()).isTrue();
    assertThat(ListeningSockets.parse("00000000000000000000000000000000:0050").loopback()).isFalse();
  }
}
