//! Engine replies as Bot API calls: HTML messages with inline keyboards, edits in place for
//! navigation (an article's pages), venues for map pins, and a location button.

use huquq_engine::dialogue::{Button, MessageKind, Reply};
use huquq_engine::Library;
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, LinkPreviewOptions,
    MessageId, ParseMode,
};
use teloxide::{ApiError, RequestError};

use super::limit::Limiter;
use super::photos::CardPhotos;
use super::render::render;
use super::send_paced;

fn keyboard(rows: &[Vec<Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|b| match b.link.then(|| url::Url::parse(&b.data).ok()).flatten() {
                Some(url) => InlineKeyboardButton::url(b.label.clone(), url),
                None => InlineKeyboardButton::callback(b.label.clone(), b.data.clone()),
            })
            .collect::<Vec<_>>()
    }))
}

/// Articles link to laws and official pages; previews of those would push the text off screen.
fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Sends the replies of one dialogue step to `chat`. When the step answers a button press,
/// `edit` is the message that carried the button: a navigation reply replaces it. `photos` draws
/// and sends the card as a picture (from that content). `Ok(false)` when the chat is gone (the
/// user blocked the bot).
pub async fn draw<R: super::Api>(
    bot: &R,
    limiter: &Limiter,
    chat: ChatId,
    replies: Vec<Reply>,
    edit: Option<MessageId>,
    photos: Option<(&CardPhotos, &Library)>,
) -> Result<bool, RequestError> {
    let mut edit = edit;
    for reply in replies {
        match reply {
            Reply::Message { blocks, buttons, kind } => {
                let markup = (!buttons.is_empty()).then(|| keyboard(&buttons));
                let parts = render(&blocks);
                if let (Some(id), MessageKind::Navigation, [part]) = (edit.take(), kind, parts.as_slice()) {
                    let mut req = bot
                        .edit_message_text(chat, id, part.html.clone())
                        .parse_mode(ParseMode::Html)
                        .link_preview_options(no_preview());
                    if let Some(m) = markup.clone() {
                        req = req.reply_markup(m);
                    }
                    match send_paced(req, Some((limiter, chat.0))).await.map(drop) {
                        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => continue,
                        // Too old or gone: say it anew below.
                        Err(RequestError::Api(ApiError::MessageCantBeEdited | ApiError::MessageToEditNotFound)) => {}
                        Err(e) => return Err(e),
                    }
                }
                let last = parts.len().saturating_sub(1);
                for (i, part) in parts.into_iter().enumerate() {
                    let mut req = bot
                        .send_message(chat, part.html)
                        .parse_mode(ParseMode::Html)
                        .link_preview_options(no_preview());
                    if i == last {
                        if let Some(m) = markup.clone() {
                            req = req.reply_markup(m);
                        }
                    }
                    if send_paced(req, Some((limiter, chat.0))).await?.is_none() {
                        return Ok(false);
                    }
                }
            }
            Reply::Venue {
                lat,
                lon,
                title,
                address,
            } => {
                let venue = bot.send_venue(chat, lat, lon, title, address);
                if send_paced(venue, Some((limiter, chat.0))).await?.is_none() {
                    return Ok(false);
                }
            }
            Reply::AskLocation { text, button } => {
                // A keyboard button that shares the location once; Telegram hides it after use.
                let markup = KeyboardMarkup::new([[KeyboardButton::new(button).request(ButtonRequest::Location)]])
                    .resize_keyboard()
                    .one_time_keyboard();
                let ask = bot.send_message(chat, text).reply_markup(markup);
                if send_paced(ask, Some((limiter, chat.0))).await?.is_none() {
                    return Ok(false);
                }
            }
            Reply::CardPicture { country, lang } => {
                let Some((photos, lib)) = photos else { continue };
                if !photos.send(bot, limiter, chat, lib, country.as_deref(), &lang).await? {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// Sends replies to a chat outside a conversation (`huquq notify`): `Ok(false)` when the chat is
/// gone (the user blocked the bot).
pub async fn deliver<R: super::Api>(
    bot: &R,
    limiter: &Limiter,
    chat: ChatId,
    replies: Vec<Reply>,
) -> Result<bool, RequestError> {
    draw(bot, limiter, chat, replies, None, None).await
}
