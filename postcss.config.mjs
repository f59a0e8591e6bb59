// Tailwind 4 runs as a single PostCSS plugin; it finds class names on its own
// (no content globs) and needs no tailwind.config file.
const config = {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

export default config;
