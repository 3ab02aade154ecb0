package casastream.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NoGradTest {

  @Test
  void switchesAutogradOffOnAThreadWhereItIsOnAndRestoresIt() throws Exception {
    Engine.getInstance(); // started on this thread: the new thread below still has PyTorch's default
    AtomicReference<boolean[]> modes = new AtomicReference<>();
    Thread other = new Thread(() -> {
      boolean before = JniUtils.isGradMode();
      boolean inside;
      try (NoGrad ignored = NoGrad.enter()) {
        inside = JniUtils.isGradMode();
      }
      modes.set(new boolean[] {before, inside, JniUtils.isGradMode()});
    });
    other.start();
    other.join();
    assertThat(modes.get()).containsExactly(true, false, true);
  }
}
