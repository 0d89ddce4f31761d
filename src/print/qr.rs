//! QR codes of the bot's deep links, drawn as one SVG path of dark squares with the quiet zone
//! around them that scanners need.

use anyhow::Context as _;
use qrcode::{Color, EcLevel, QrCode};

use super::svg::Svg;

/// Modules of white border a scanner needs around the code.
const QUIET: usize = 4;

/// Draws the code of `text` as a square of `size` with its top left at (x, y), quiet zone
/// included. Error correction M: a poster survives a crease or a stain.
pub fn draw(svg: &mut Svg, text: &str, x: f32, y: f32, size: f32) -> anyhow::Result<()> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).context("the link is too long for a QR code")?;
    let n = code.width();
    let module = size / (n + 2 * QUIET) as f32;
    let colors = code.to_colors();
    svg.rect(x, y, size, size, "#ffffff", 0.0);
    let mut d = String::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != Color::Dark {
                col += 1;
                continue;
            }
            // A run of dark modules is one rectangle.
            let start = col;
            while col < n && colors[row * n + col] == Color::Dark {
                col += 1;
            }
            let px = x + (start + QUIET) as f32 * module;
            let py = y + (row + QUIET) as f32 * module;
            let w = (col - start) as f32 * module;
            d.push_str(&format!("M{px:.2} {py:.2}h{w:.2}v{module:.2}h-{w:.2}z"));
        }
    }
    svg.path(&d, "#000000");
    Ok(())
}
