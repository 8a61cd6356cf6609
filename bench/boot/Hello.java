/**
 * The bare-JVM reference for bench/boot: prints "hello" and, with the argument
 * {@code wait}, then blocks reading stdin until it is closed (so its idle RSS can
 * be read like the OS's at its prompt).
 */
public class Hello {
    public static void main(String[] args) throws java.io.IOException {
        System.out.println("hello");
        System.out.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            while (System.in.read() != -1) {
                // idle until stdin closes
            }
        }
    }
}
