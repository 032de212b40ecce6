/** Hides the user information (`user:password@`) of every URL in `text`: for logs, errors and startup lines. */
export function hideUserInfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@');
}
