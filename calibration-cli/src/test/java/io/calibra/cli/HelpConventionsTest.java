package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OldNames;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's {@code --help} follows the same rules: at most 60 lines; its options in the
 * sections Input, Output, Model, Method, Advanced (in that order); each value shown by a
 * placeholder that says what to give ({@code <file>}, {@code <labels>}, {@code <url>}), never a
 * Java field name; every default stated; old option names left out.
 */
class HelpConventionsTest {
  private static final List<String> SECTIONS =
      List.of("Input:", "Output:", "Model:", "Method:", "Advanced:");

  static Stream<String> commands() {
    return new CommandLine(new Main(InputStream.nullInputStream()))
        .getSubcommands().keySet().stream();
  }

  private static CommandLine command(String name) {
    CommandLine cli = new CommandLine(new Main(InputStream.nullInputStream()));
    HelpSections.install(cli);
    return cli.getSubcommands().get(name);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void helpFitsInSixtyLines(String name) {
    Cli r = Cli.run(name, "--help").ok();
    assertThat(r.out().lines().count())
        .as("calibra %s --help:%n%s", name, r.out())
        .isLessThanOrEqualTo(60);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void optionsAreShownInTheSectionsInOrder(String name) {
    List<String> lines = Cli.run(name, "--help").ok().out().lines().toList();
    List<String> headings = lines.stream().filter(SECTIONS::contains).toList();
    assertThat(headings).as("sections of %s", name).isSubsetOf(SECTIONS).doesNotHaveDuplicates();
    assertThat(headings)
        .as("section order of %s", name)
        .isSortedAccordingTo(java.util.Comparator.comparingInt(SECTIONS::indexOf));
    int first = lines.indexOf(headings.get(0));
    assertThat(lines.subList(0, first))
        .as("no option before the first section of %s", name)
        .noneMatch(l -> l.matches("\\s+-.*"));
    for (OptionSpec option : command(name).getCommandSpec().options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        assertThat(option.order())
            .as("%s %s is in a section", name, option.longestName())
            .isBetween(HelpSections.INPUT, HelpSections.ADVANCED + 99);
      }
    }
  }

  /**
   * An option a command cannot run without says so in its help ("Required."), since help shows no
   * default for it; an option required only within a group of options is not marked (the count of
   * marks is hand-checked against picocli's model of the command).
   */
  @ParameterizedTest
  @MethodSource("commands")
  void requiredOptionsSayTheyAreRequired(String name) {
    String help = Cli.run(name, "--help").ok().out();
    long required =
        command(name).getCommandSpec().options().stream()
            .filter(o -> o.required() && o.group() == null && !o.hidden())
            .count();
    assertThat(help.split("Required\\.", -1).length - 1)
        .as("%s marks its required options", name)
        .isEqualTo((int) required);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void placeholdersSayWhatToGiveNotAFieldName(String name) {
    String help = Cli.run(name, "--help").ok().out();
    assertThat(help)
        .as("no camel-case placeholder in %s", name)
        .doesNotContainPattern("<[a-z]+[A-Z]\\w*>");
    for (OptionSpec option : command(name).getCommandSpec().options()) {
      if (option.hidden() || option.arity().max() == 0) {
        continue;
      }
      String label = option.paramLabel();
      assertThat(label)
          .as("%s %s's placeholder", name, option.longestName())
          .matches("<[a-z][a-z-]*>(=<[a-z][a-z-]*>)?|<MiB>");
      // declared, not picocli's default <fieldName>
      assertThat(declaredLabel(option))
          .as("%s %s declares its placeholder", name, option.longestName())
          .isNotEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyDefaultIsStated(String name) {
    for (OptionSpec option : command(name).getCommandSpec().options()) {
      if (option.hidden() || option.arity().max() == 0 || option.defaultValue() == null) {
        continue;
      }
      String description = String.join(" ", option.description());
      assertThat(description)
          .as("%s %s states its default %s", name, option.longestName(), option.defaultValue())
          .containsAnyOf("${DEFAULT-VALUE}", "default: " + option.defaultValue());
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void oldNamesAndHiddenOptionsAreLeftOut(String name) {
    CommandLine command = command(name);
    String help = Cli.run(name, "--help").ok().out();
    if (command.getCommandSpec().userObject() instanceof OldNames old) {
      for (String oldName : old.oldNames().keySet()) {
        assertThat(help)
            .as("%s help without %s", name, oldName)
            .doesNotContainPattern(java.util.regex.Pattern.quote(oldName) + "\\b(?!-)");
      }
    }
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.hidden()) {
        for (String n : option.names()) {
          assertThat(help).as("%s help without hidden %s", name, n).doesNotContain(n + " ");
        }
      }
    }
  }

  /** The placeholder an option's annotation declares ("" when it leaves picocli's default). */
  private static String declaredLabel(OptionSpec option) {
    Object member = option.userObject();
    CommandLine.Option annotation =
        member instanceof Field f
            ? f.getAnnotation(CommandLine.Option.class)
            : member instanceof Method m ? m.getAnnotation(CommandLine.Option.class) : null;
    assertThat(annotation).as("%s is declared by an annotation", option.longestName()).isNotNull();
    return annotation.paramLabel();
  }
}
