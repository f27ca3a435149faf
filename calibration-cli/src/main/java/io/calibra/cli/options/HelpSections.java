package io.calibra.cli.options;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The sections of every command's help, by the {@code order} an option is declared with: {@link
 * #INPUT}, {@link #OUTPUT}, {@link #MODEL}, {@link #METHOD}, then {@link #ADVANCED} (where options
 * without an order, such as {@code --help}, also go). Within a section options keep their order.
 * Hidden options (old names kept working) are not shown.
 */
public final class HelpSections {
  /** What the command reads. */
  public static final int INPUT = 100;

  /** What the command writes or prints. */
  public static final int OUTPUT = 200;

  /** The language model, its backend and labels. */
  public static final int MODEL = 300;

  /** The method and its settings. */
  public static final int METHOD = 400;

  /** Tuning that is rarely needed. */
  public static final int ADVANCED = 500;

  /** The width of the option column: the longest options still leave their text beside them. */
  private static final int LONG_OPTIONS_WIDTH = 30;

  private static final String[] HEADINGS = {"Input", "Output", "Model", "Method", "Advanced"};

  private HelpSections() {}

  /** Sets the sectioned option list and a short synopsis on {@code cli} and its subcommands. */
  public static void install(CommandLine cli) {
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpSections::render);
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    cli.getCommandSpec()
        .usageMessage()
        .abbreviateSynopsis(true)
        .sortOptions(false)
        .longOptionsMaxWidth(LONG_OPTIONS_WIDTH);
    for (CommandLine sub : cli.getSubcommands().values()) {
      install(sub);
    }
  }

  /** The section of an option: 0 (input) to 4 (advanced). */
  public static int section(OptionSpec option) {
    int order = option.order();
    if (order < INPUT || order >= ADVANCED) {
      return HEADINGS.length - 1;
    }
    return order / 100 - 1;
  }

  /** {@code option} as help shows it: without the old names its command still accepts. */
  private static OptionSpec withoutOldNames(OptionSpec option, Help help) {
    if (!(help.commandSpec().userObject() instanceof OldNames old)) {
      return option;
    }
    String[] current =
        java.util.Arrays.stream(option.names())
            .filter(n -> !old.oldNames().containsKey(n))
            .toArray(String[]::new);
    return current.length == option.names().length
        ? option
        : OptionSpec.builder(option).names(current).build();
  }

  /**
   * {@code option} with "Required." after its description when the command cannot run without it
   * (an option outside any group that picocli requires): help shows no default for it, so a new
   * user would otherwise learn it from the first error.
   */
  private static OptionSpec markedIfRequired(OptionSpec option) {
    if (!option.required() || option.group() != null) {
      return option;
    }
    String[] description = option.description().clone();
    if (description.length == 0) {
      description = new String[] {"Required."};
    } else {
      description[description.length - 1] = description[description.length - 1] + " Required.";
    }
    return OptionSpec.builder(option).description(description).build();
  }

  private static String render(Help help) {
    List<List<OptionSpec>> sections = new ArrayList<>();
    for (int i = 0; i < HEADINGS.length; i++) {
      sections.add(new ArrayList<>());
    }
    for (OptionSpec option : help.commandSpec().options()) {
      if (!option.hidden()) {
        sections.get(section(option)).add(option);
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < HEADINGS.length; i++) {
      List<OptionSpec> options = sections.get(i);
      if (options.isEmpty()) {
        continue;
      }
      options.sort(Comparator.comparingInt(o -> o.order() < 0 ? Integer.MAX_VALUE : o.order()));
      Help.Layout layout = help.createDefaultLayout();
      for (OptionSpec option : options) {
        layout.addOption(
            markedIfRequired(withoutOldNames(option, help)), help.parameterLabelRenderer());
      }
      out.append(HEADINGS[i]).append(':').append(System.lineSeparator()).append(layout);
    }
    return out.toString();
  }
}
