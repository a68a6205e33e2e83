package callisto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code callisto shell}: the JDK's jshell with Callisto's classpath, imports and execution control. */
class ShellTest {
    @Test
    void stdlibWorksAtThePromptAndExitDoesNotKillIt() throws Exception {
        String input = """
                int x = 20 + 22;
                System.out.println("x=" + x);
                display(html("<b>bold</b>"));
                var img = new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);
                display(img);
                for (int i : Progress.range(3, "steps")) Thread.sleep(150);
                System.exit(3);
                System.out.println("still alive");
                /exit
                """;
        var r = Cli.run(Map.of(), input, 120, "shell");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("x=42"), r.all());
        assertTrue(r.out().contains("<b>bold</b>"), r.all());
        assertTrue(r.all().contains("System.exit(3) was called"), r.all());
        assertTrue(r.out().contains("still alive"), r.all());
        // the progress bar redraws one line on stderr (carriage returns) and ends it with a newline
        var bar = Pattern.compile("\\rsteps 100%\\|█{24}\\| 3/3 \\[00:0\\d<00:00, [0-9.]+ it/s\\]\\s*\\n").matcher(r.err());
        assertTrue(bar.find(), r.all());
        var m = Pattern.compile("<image 4x3> -> (\\S+\\.png)").matcher(r.out());
        assertTrue(m.find(), r.all());
        Path png = Path.of(m.group(1));
        assertTrue(Files.size(png) > 0);
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
    }
}
