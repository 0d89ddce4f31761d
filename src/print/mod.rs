//! Pictures of the content, for people who would rather show or print than read in a chat: the
//! card for the officer (`card`) and posters with the bot's QR code (`poster`). Each is drawn as
//! SVG with the embedded font (`font`, `svg`), then rendered to PNG by resvg or to PDF by
//! svg2pdf. No system font and no network are used.

pub mod card;
pub mod font;
pub mod poster;
mod qr;
pub mod svg;

use anyhow::Context as _;
use resvg::{tiny_skia, usvg};

fn tree(svg: &str) -> anyhow::Result<usvg::Tree> {
    usvg::Tree::from_str(svg, &font::fonts().options()).context("could not read the drawn SVG")
}

/// The picture as PNG, `width` pixels wide.
pub fn png(svg: &str, width: u32) -> anyhow::Result<Vec<u8>> {
    let tree = tree(svg)?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).with_context(|| format!("cannot make a {width}x{height} picture"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("could not encode the PNG")
}

/// The picture as a one-page PDF with its text as text (the font embedded, subset).
pub fn pdf(svg: &str) -> anyhow::Result<Vec<u8>> {
    let tree = tree(svg)?;
    // usvg reads millimetres at 96 dpi; the page keeps the size the SVG asks for.
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| anyhow::anyhow!("could not make the PDF: {e}"))
}

/// A file format the pictures are written in, by the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Pdf,
}

impl Format {
    pub fn of(path: &std::path::Path) -> anyhow::Result<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(Format::Png),
            Some("pdf") => Ok(Format::Pdf),
            _ => anyhow::bail!("{}: the file name must end in .png or .pdf", path.display()),
        }
    }
}
