//! The card for the officer sent as a photo. Each card (country × language × content version) is
//! drawn and uploaded once; after that it is sent by the file_id Telegram gave it, kept in
//! memory, so a person in a police station gets it at once. A file_id Telegram no longer knows
//! is forgotten and the card uploaded again.

use std::collections::HashMap;
use std::sync::Mutex;

use huquq_engine::Library;
use teloxide::prelude::*;
use teloxide::types::{FileId, InputFile};
use teloxide::{ApiError, RequestError};

use super::limit::Limiter;
use super::send_paced;
use crate::print;

/// Country (or none), language, content version.
type Key = (Option<String>, String, String);

/// The file_ids of the card pictures sent so far.
#[derive(Default)]
pub struct CardPhotos {
    ids: Mutex<HashMap<Key, FileId>>,
}

impl CardPhotos {
    fn get(&self, key: &Key) -> Option<FileId> {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn set(&self, key: Key, id: Option<FileId>) {
        let mut ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        match id {
            Some(id) => ids.insert(key, id),
            None => ids.remove(&key),
        };
    }

    /// How many cards have a file_id.
    pub fn len(&self) -> usize {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sends the card of `lib` for `country` in `lang` to `chat`; `Ok(false)` when the chat is gone.
    pub async fn send<R: super::Api>(
        &self,
        bot: &R,
        limiter: &Limiter,
        chat: ChatId,
        lib: &Library,
        country: Option<&str>,
        lang: &str,
    ) -> Result<bool, RequestError> {
        let key = (country.map(str::to_string), lang.to_string(), lib.version.clone());
        if let Some(id) = self.get(&key) {
            match send_paced(bot.send_photo(chat, InputFile::file_id(id)), Some((limiter, chat.0))).await {
                Ok(sent) => return Ok(sent.is_some()),
                Err(RequestError::Api(ApiError::WrongFileId | ApiError::WrongFileIdOrUrl)) => {
                    tracing::warn!("Telegram forgot a card picture; uploading it again");
                    self.set(key.clone(), None);
                }
                Err(e) => return Err(e),
            }
        }
        let png = match print::card::svg(lib, country, lang).map(|svg| print::png(&svg, print::card::WIDTH as u32)) {
            Some(Ok(png)) => png,
            Some(Err(e)) => {
                tracing::error!("could not draw the card: {e:#}");
                return Ok(true);
            }
            None => return Ok(true),
        };
        let photo = InputFile::memory(png).file_name("huquq-card.png");
        let Some(sent) = send_paced(bot.send_photo(chat, photo), Some((limiter, chat.0))).await? else {
            return Ok(false);
        };
        let id = sent
            .photo()
            .and_then(|sizes| sizes.iter().max_by_key(|s| s.width))
            .map(|s| s.file.id.clone());
        self.set(key, id);
        Ok(true)
    }
}
