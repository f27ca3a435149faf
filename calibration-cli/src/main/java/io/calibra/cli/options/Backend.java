package io.calibra.cli.options;

import io.calibra.backend.Scorers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A scoring backend chosen by {@code --backend}: a name from the {@link java.util.ServiceLoader}
 * registry the Java API uses ({@link Scorers#available()}), so a backend module on the class path
 * appears here without a change to the command line. The providers the project ships keep their
 * short command-line names (encoder, causal, masked, classifier, openai, openai-chat); their
 * registry names (onnx-encoder, ...) are accepted too.
 *
 * @param name the command-line name: the short name of a shipped provider, else the registry name
 * @param registryName the provider's name in the registry
 */
public record Backend(String name, String registryName) {
  /** The short names of the shipped providers, in the order help lists them. */
  private static final Map<String, String> SHORT_NAMES = shortNames();

  /** The sentence encoder (the default). */
  public static final Backend ENCODER = new Backend("encoder", "onnx-encoder");

  private static Map<String, String> shortNames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("onnx-encoder", "encoder");
    m.put("onnx-causal", "causal");
    m.put("onnx-masked", "masked");
    m.put("onnx-classifier", "classifier");
    m.put("openai-completions", "openai");
    m.put("openai-chat", "openai-chat");
    return m;
  }

  /** Whether this is the sentence encoder, which reads no prompt. */
  public boolean isEncoder() {
    return name.equals("encoder");
  }

  /** Whether this is the causal language model in a folder. */
  public boolean isCausal() {
    return name.equals("causal");
  }

  /** Whether this is a local model in a folder (causal, masked, classifier). */
  public boolean isModelFolder() {
    return name.equals("causal") || name.equals("masked") || name.equals("classifier");
  }

  /** Whether this is an OpenAI-compatible server (openai or openai-chat). */
  public boolean isServed() {
    return name.equals("openai") || name.equals("openai-chat");
  }

  /** Whether this is the completions API (openai), which echoes prompts and samples. */
  public boolean isCompletions() {
    return name.equals("openai");
  }

  /** Whether this is a registered backend the command line knows nothing more about. */
  public boolean isOther() {
    return !SHORT_NAMES.containsKey(registryName);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The backends on the class path, by command-line name: the shipped ones first, in order. */
  public static List<Backend> available() {
    List<String> registered = Scorers.names();
    List<Backend> out = new ArrayList<>();
    SHORT_NAMES.forEach(
        (registry, shortName) -> {
          if (registered.contains(registry)) {
            out.add(new Backend(shortName, registry));
          }
        });
    for (String registry : registered) {
      if (!SHORT_NAMES.containsKey(registry)) {
        out.add(new Backend(registry, registry));
      }
    }
    return out;
  }

  /** The command-line names of {@link #available()}, for help and completion. */
  public static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return available().stream().map(Backend::name).iterator();
    }
  }

  /** Parses a command-line or registry name of an available backend. */
  public static final class Converter implements ITypeConverter<Backend> {
    @Override
    public Backend convert(String value) {
      for (Backend b : available()) {
        if (b.name().equals(value) || b.registryName().equals(value)) {
          return b;
        }
      }
      throw new TypeConversionException(
          "backend '"
              + value
              + "' is unknown; expected one of "
              + available().stream().map(Backend::name).toList());
    }
  }
}
