package casastream.bench;

import casastream.model.CasaConfig;
import casastream.model.text.Tokenizer;
import casastream.operators.inference.FrameModel;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import java.util.ArrayList;
import java.util.List;

/**
 * B camera streams run together through the job's inference path ({@link FrameModel#step}: memory
 * bytes in, vision, batched greedy decoding, memory bytes out), one frame of every stream per step,
 * each stream carrying its own memory from step to step as the operator does.
 */
final class BatchRunner {

  /**
   * One timed step: wall time, the greedy steps of the batch's longest caption and events, and the
   * FLOPs the streams' own texts needed (each stream's frame counted with its own steps, as if decoded alone).
   */
  record Step(double millis, int captionSteps, int eventSteps, double neededFlops) {}

  private final FrameModel model;
  private final GeneratedTokens tokens;
  private final WorldStreams streams;
  private final ModelFlops flops;
  private final byte[][] memories;

  BatchRunner(FrameModel model, Tokenizer tokenizer, CasaConfig config, int batch, long seed) {
    this.model = model;
    this.tokens = new GeneratedTokens(tokenizer, config);
    this.streams = new WorldStreams(config, batch, seed);
    this.flops = new ModelFlops(config);
    this.memories = new byte[batch][];
  }

  int batchSize() {
    return memories.length;
  }

  /** Renders the next frame of every stream (untimed), then times one batched step. */
  Step step() {
    List<StreamRequest> requests = new ArrayList<>(memories.length);
    for (int s = 0; s < memories.length; s++) {
      requests.add(new StreamRequest(memories[s], streams.next(s), List.of()));
    }
    long start = System.nanoTime();
    List<StreamResult> results = model.step(requests);
    double millis = Timing.millisSince(start);
    int captionSteps = 0;
    int eventSteps = 0;
    double needed = 0;
    for (int s = 0; s < memories.length; s++) {
      StreamResult result = results.get(s);
      memories[s] = result.memory();
      int caption = tokens.captionSteps(result.caption());
      // the model writes "none" when nothing happened; the operator turns that into no event
      int events = tokens.eventSteps(result.events().isEmpty() ? null : result.events().get(0));
      captionSteps = Math.max(captionSteps, caption);
      eventSteps = Math.max(eventSteps, events);
      needed += flops.perFrame(caption, events);
    }
    return new Step(millis, captionSteps, eventSteps, needed);
  }

  /**
   * What a timed series of steps measured; the mean steps are those of each batch's longest texts,
   * {@code neededFlopsPerFrame} what the streams' own texts needed per frame.
   */
  record Throughput(int batch, int steps, double seconds, double framesPerSecond, double medianStepMillis,
                    double meanCaptionSteps, double meanEventSteps, double neededFlopsPerFrame) {}

  /**
   * Runs {@code warmup} untimed steps, then steps until at least {@code minSeconds} of stepping and
   * {@code minSteps} steps have passed.
   */
  Throughput measure(int warmup, int minSteps, double minSeconds) {
    for (int i = 0; i < warmup; i++) {
      step();
    }
    List<Step> timed = new ArrayList<>();
    double total = 0;
    while (timed.size() < minSteps || total < minSeconds * 1000) {
      Step s = step();
      timed.add(s);
      total += s.millis();
    }
    double[] millis = timed.stream().mapToDouble(Step::millis).toArray();
    double caption = timed.stream().mapToInt(Step::captionSteps).average().orElse(0);
    double events = timed.stream().mapToInt(Step::eventSteps).average().orElse(0);
    double needed = timed.stream().mapToDouble(Step::neededFlops).sum() / ((double) batchSize() * timed.size());
    return new Throughput(batchSize(), timed.size(), total / 1000, batchSize() * timed.size() / (total / 1000),
        Timing.median(millis), caption, events, needed);
  }
}
