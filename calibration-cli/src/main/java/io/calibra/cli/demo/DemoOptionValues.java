package io.calibra.cli.demo;

import io.calibra.cli.options.EmbeddedModel;
import io.calibra.cli.options.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * Converters of the demo's options, each refusing what the demo cannot run with; a reason starting
 * with {@value OptionValues#EXPECTED} is printed as {@code --option is VALUE; expected ...}.
 */
final class DemoOptionValues {
  private DemoOptionValues() {}

  /** {@code --shots}: at least one example per label. */
  static final class Shots implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int shots = integer(value);
      if (shots < 1) {
        throw new CommandLine.TypeConversionException(OptionValues.EXPECTED + "at least 1");
      }
      return shots;
    }
  }

  /** {@code --agnews-rows}: 0 for all rows, else at least 4 (two dev and two test rows). */
  static final class AgNewsRows implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int rows = integer(value);
      if (rows < 0 || (rows > 0 && rows < 4)) {
        throw new CommandLine.TypeConversionException(
            OptionValues.EXPECTED + "0 (all) or at least 4");
      }
      return rows;
    }
  }

  /** {@code --sst2}: a folder that exists (checked before any model loads). */
  static final class Sst2Folder extends ExistingPath {
    Sst2Folder() {
      super("--sst2", Files::isDirectory, "a folder");
    }
  }

  /** {@code --agnews}: a file that exists (checked before any model loads). */
  static final class AgNewsFile extends ExistingPath {
    AgNewsFile() {
      super("--agnews", Files::isRegularFile, "a file");
    }
  }

  /** A data location that must be there in the form the demo reads, named in its refusal. */
  private abstract static class ExistingPath implements CommandLine.ITypeConverter<Path> {
    private final String option;
    private final Predicate<Path> present;
    private final String form;

    ExistingPath(String option, Predicate<Path> present, String form) {
      this.option = option;
      this.present = present;
      this.form = form;
    }

    @Override
    public Path convert(String value) {
      Path path = Path.of(value);
      if (!present.test(path)) {
        throw new CommandLine.TypeConversionException(option + " " + value + " is not " + form);
      }
      return path;
    }
  }

  /** {@code --model}: an embedded encoder, by the name {@link EmbeddedModel#find} knows. */
  static final class Model implements CommandLine.ITypeConverter<EmbeddedModel> {
    @Override
    public EmbeddedModel convert(String value) {
      return EmbeddedModel.find(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      OptionValues.EXPECTED + EmbeddedModel.names()));
    }
  }

  /** The embedded encoders' names, for help and shell completion. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(EmbeddedModel.values()).map(EmbeddedModel::optionName).iterator();
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
    }
  }
}
