// Files the user picks, read in memory (never written anywhere by the UI).

/** A file's bytes as base64 (FileReader; the data URL's prefix removed). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('The file could not be read'));
    r.readAsDataURL(file);
  });
}
