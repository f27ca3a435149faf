package io.calibra.cli.options;

import io.calibra.backend.onnx.ModelSource;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The sentence encoders shipped inside the jar, by the name {@code --model} takes: the one place
 * that name is parsed.
 */
public enum EmbeddedModel {
  /** all-MiniLM-L6-v2 in fp32 (the default). */
  MINILM("embedded-minilm", ModelSource::embeddedMiniLm),
  /** all-MiniLM-L6-v2 dynamically quantised to int8. */
  MINILM_INT8("embedded-minilm-int8", ModelSource::embeddedMiniLmInt8);

  private final String optionName;
  private final Supplier<ModelSource> source;

  EmbeddedModel(String optionName, Supplier<ModelSource> source) {
    this.optionName = optionName;
    this.source = source;
  }

  /** The name as typed, such as {@code embedded-minilm-int8}. */
  public String optionName() {
    return optionName;
  }

  /** The model inside the jar. */
  public ModelSource source() {
    return source.get();
  }

  @Override
  public String toString() {
    return optionName;
  }

  /**
   * The embedded model called {@code name}.
   *
   * @throws UsageException for another name, listing the known ones
   */
  public static EmbeddedModel parse(String name) {
    return Arrays.stream(values())
        .filter(m -> m.optionName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new UsageException(
                    "--model "
                        + name
                        + " is unknown; expected embedded-minilm or embedded-minilm-int8"));
  }
}
