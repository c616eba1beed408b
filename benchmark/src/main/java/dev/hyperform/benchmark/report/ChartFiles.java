package dev.hyperform.benchmark.report;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Writes a chart as NAME.png (JFreeChart) and NAME.svg (JFreeSVG: JFreeChart has no SVG writer of its own). */
public final class ChartFiles {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    /** Returns the PNG's file name relative to {@code dir}. */
    public String write(JFreeChart chart, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            ChartUtils.saveChartAsPNG(dir.resolve(name + ".png").toFile(), chart, WIDTH, HEIGHT);
            SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
            Files.writeString(dir.resolve(name + ".svg"), g2.getSVGDocument());
            return name + ".png";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + dir.resolve(name), e);
        }
    }
}
