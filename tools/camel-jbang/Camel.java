// The `camel` command: Camel JBang's entry point, run by ./camel as a single-file source program.
public class Camel {
  public static void main(String[] args) {
    org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
  }
}
