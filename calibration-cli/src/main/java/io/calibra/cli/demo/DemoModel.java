package io.calibra.cli.demo;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The embedded encoders the demo runs: all-MiniLM-L6-v2 in 32 and in 8 bits. */
enum DemoModel {
  /** The fp32 model. */
  EMBEDDED_MINILM("embedded-minilm", "fp32", ModelSource::embeddedMiniLm),
  /** The int8 model, which scores each prompt on its own. */
  EMBEDDED_MINILM_INT8("embedded-minilm-int8", "int8", ModelSource::embeddedMiniLmInt8);

  private final String optionValue;
  private final String precision;
  private final Supplier<ModelSource> source;

  DemoModel(String optionValue, String precision, Supplier<ModelSource> source) {
    this.optionValue = optionValue;
    this.precision = precision;
    this.source = source;
  }

  /** {@code fp32} or {@code int8}. */
  String precision() {
    return precision;
  }

  /** The model the 8-bit against 32-bit study compares this one with. */
  DemoModel other() {
    return this == EMBEDDED_MINILM ? EMBEDDED_MINILM_INT8 : EMBEDDED_MINILM;
  }

  /**
   * The zero-shot encoder, its model on one intra-op thread and run on as many threads as there are
   * cores ({@link ParallelScorer}: the same scores for less CPU time).
   */
  Scorer encoder() {
    return new ParallelScorer(
        OnnxScorers.encoder(source.get()).intraOpThreads(1).build(),
        Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return optionValue;
  }

  /** The option's values, for help and shell completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(DemoModel::toString).iterator();
    }
  }

  /** Reads {@code --model}: one of {@link Names}. */
  static final class Converter implements CommandLine.ITypeConverter<DemoModel> {
    @Override
    public DemoModel convert(String value) {
      for (DemoModel m : values()) {
        if (m.optionValue.equals(value)) {
          return m;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is unknown; expected embedded-minilm or embedded-minilm-int8");
    }
  }
}
