// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-check/", "node_modules/", "coverage/", ".repute-tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The core is pure: no I/O, no clock, nothing of ours outside core (DESIGN.md, "Layout").
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "fs", "path", "os", "crypto"], message: "src/core is pure: no node: imports." },
            { group: ["**/store/**", "**/http/**", "**/cli/**", "**/demo/**", "**/repute.js", "**/read-views.js", "**/cursor.js"], message: "src/core imports nothing outside core." },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "src/core takes time as an argument." },
        { object: "Math", property: "random", message: "src/core takes randomness as an argument." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "src/core takes time as an argument." },
      ],
    },
  },
);
