package casastream.bench;

import casastream.model.CasaInference;
import casastream.model.CasaModel;
import casastream.model.StreamInput;
import casastream.model.StreamOutput;
import casastream.model.decode.Decoding;
import casastream.model.world.CameraWorld;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16's identity target: the draft and the plain decoder on the same held-out test streams,
 * frame by frame with their standing questions, each stream carrying its own memory from frame to
 * frame; every caption, events text and answer of the draft decoder must equal the plain one's.
 * Run in batches of 4 streams (drafts of captions and events checked) and of 64 (drafts not
 * checked; finished streams leave the batch), timing both decoders on the same frames.
 */
final class DecoderIdentityBenchmark implements Benchmark {

  static final int[] BATCHES = {4, 64};

  @Override
  public String name() {
    return "decoders";
  }

  @Override
  public String description() {
    return "the draft and the plain decoder on 200 test streams x 50 frames: the same texts frame by frame, and their"
        + " frames/s";
  }

  @Override
  public BenchResult run(BenchContext context) {
    int streams = context.quick() ? 8 : 200;
    int frames = context.quick() ? 4 : 50;
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("decoder", Decoding.DRAFT.id())
        .parameter("baseline_decoder", Decoding.PLAIN.id())
        .parameter("streams", streams)
        .parameter("frames_per_stream", frames)
        .parameter("seeds", SeedRanges.TEST.seed(0) + "-" + SeedRanges.TEST.seed(streams - 1));
    List<Integer> batches = new ArrayList<>();
    List<Long> differing = new ArrayList<>();
    List<Double> draftFps = new ArrayList<>();
    List<Double> plainFps = new ArrayList<>();
    long compared = 0;
    try (CasaModel model = context.model().open()) {
      CasaInference draft = new CasaInference(model, Decoding.DRAFT);
      CasaInference plain = new CasaInference(model, Decoding.PLAIN);
      WorldConfig world = WorldConfig.forVocabulary(model.tokenizer());
      for (int batch : BATCHES) {
        long differ = 0;
        double draftSeconds = 0;
        double plainSeconds = 0;
        int done = 0;
        for (int first = 0; first < streams; first += batch) {
          int size = Math.min(batch, streams - first);
          List<CameraWorld> worlds = new ArrayList<>();
          for (int s = 0; s < size; s++) {
            worlds.add(new CameraWorld(world, SeedRanges.TEST.seed(first + s)));
          }
          byte[][] draftMemory = new byte[size][];
          byte[][] plainMemory = new byte[size][];
          for (int f = 0; f < frames; f++) {
            List<WorldFrame> truth = worlds.stream().map(CameraWorld::next).toList();
            long start = System.nanoTime();
            List<StreamOutput> fromDraft = draft.step(inputs(draftMemory, truth));
            draftSeconds += (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            List<StreamOutput> fromPlain = plain.step(inputs(plainMemory, truth));
            plainSeconds += (System.nanoTime() - start) / 1e9;
            for (int s = 0; s < size; s++) {
              StreamOutput a = fromDraft.get(s);
              StreamOutput b = fromPlain.get(s);
              compared++;
              if (!a.caption().equals(b.caption()) || !a.events().equals(b.events()) || !a.answers().equals(b.answers())) {
                differ++;
              }
              draftMemory[s] = a.memory();
              plainMemory[s] = b.memory();
            }
          }
          done += size;
          context.progress("  decoders: batch %d: %d of %d streams, %d frames differing so far", batch, done, streams,
              differ);
        }
        batches.add(batch);
        differing.add(differ);
        draftFps.add(streams * (double) frames / draftSeconds);
        plainFps.add(streams * (double) frames / plainSeconds);
      }
    }
    long totalDiffering = differing.stream().mapToLong(Long::longValue).sum();
    result.series("batch_sizes", batches)
        .series("frames_differing", differing)
        .series("frames_per_second", draftFps)
        .series("frames_per_second_plain", plainFps)
        .figure("frames_compared", compared);
    result.row("batch", "frames compared", "frames differing", "frames/s draft", "frames/s plain", "draft / plain");
    for (int i = 0; i < batches.size(); i++) {
      result.row(batches.get(i), (long) streams * frames, differing.get(i), draftFps.get(i), plainFps.get(i),
          draftFps.get(i) / plainFps.get(i));
    }
    result.target(Target.of("the draft decoder's caption, events and answers equal the plain decoder's on every frame",
        String.format("%d of %d frames differ", totalDiffering, compared), totalDiffering == 0));
    result.note("A frame differs when its caption, its events text or any answer to its standing questions does;"
        + " the world's own questions of each frame are asked. Each stream runs with each decoder from a fresh memory,"
        + " so a difference would also carry into its later frames.");
    return result;
  }

  private static List<StreamInput> inputs(byte[][] memories, List<WorldFrame> frames) {
    List<StreamInput> inputs = new ArrayList<>(frames.size());
    for (int s = 0; s < frames.size(); s++) {
      WorldFrame frame = frames.get(s);
      inputs.add(new StreamInput(memories[s], frame.rgb(), frame.questions().stream().map(YesNo::question).toList()));
    }
    return inputs;
  }
}
