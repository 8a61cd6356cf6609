package org.astralisp.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --script FILE}: console lines, one per line, UTF-8. Blank lines and
 * lines whose first non-blank character is {@code ;} (a Lisp comment) are skipped.
 */
final class Script {

    private Script() {
    }

    static List<BootOptions.ConsoleLine> read(Path file) throws UsageException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new UsageException("--script " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UsageException("--script " + file + ": not valid UTF-8");
        } catch (IOException e) {
            throw new UsageException("--script " + file + ": cannot read: " + e.getMessage());
        }
        List<BootOptions.ConsoleLine> lines = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        for (int n = 0; n < raw.length; n++) {
            String line = raw[n].strip();
            if (!line.isEmpty() && !line.startsWith(";")) {
                lines.add(new BootOptions.ConsoleLine(line, file.getFileName() + ":" + (n + 1)));
            }
        }
        return lines;
    }
}
