package nl.aware.web.staff;

import io.nayuki.qrcodegen.QrCode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QrSvgTest {
    private static final String URI = "otpauth://totp/AWARE:sam?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWARE";

    @Test
    void everyDarkModuleIsDrawnOnce_insideAFourModuleQuietZone() {
        String svg = QrSvg.of(URI);
        QrCode qr = QrCode.encodeText(URI, QrCode.Ecc.MEDIUM);

        int size = qr.size + 8;
        assertTrue(svg.contains("viewBox=\"0 0 " + size + " " + size + "\""), svg);
        Set<String> drawn = new HashSet<>();
        Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        int squares = 0;
        while (square.find()) {
            squares++;
            drawn.add((Integer.parseInt(square.group(1)) - 4) + "," + (Integer.parseInt(square.group(2)) - 4));
        }
        Set<String> dark = new HashSet<>();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    dark.add(x + "," + y);
                }
            }
        }
        assertEquals(dark, drawn);
        assertEquals(dark.size(), squares, "no module twice");
    }

    @Test
    void theSvgIsSelfContained_noScriptNoLink() {
        String svg = QrSvg.of(URI);

        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(!svg.contains("<script") && !svg.contains("href") && !svg.contains("secret"),
                "nothing a page could run or follow, and the secret only as modules");
    }
}
