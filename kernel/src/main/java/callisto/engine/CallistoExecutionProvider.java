package callisto.engine;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Makes {@link CallistoExecutionControl} available to the JDK's jshell tool as {@code --execution callisto}
 * (registered through ServiceLoader), so {@code callisto shell} runs snippets like the notebook engine does.
 */
public final class CallistoExecutionProvider implements ExecutionControlProvider {
    @Override
    public String name() {
        return "callisto";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new CallistoExecutionControl(CallistoExecutionProvider.class.getClassLoader(), true);
    }
}
