//! Tauri's build step: embeds `tauri.conf.json`, the icons and `ui/dist`.
fn main() {
    tauri_build::build()
}
