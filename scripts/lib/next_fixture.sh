# make_next_build DIR API_URL SITE_NAME: a small production Next.js build output whose
# client chunks have the NEXT_PUBLIC_* values inlined the way webpack's DefinePlugin does.
make_next_build() {
  local dir=$1 api=$2 site=$3
  mkdir -p "$dir/static/chunks/app" "$dir/static/chunks/pages" "$dir/server/app" "$dir/cache/webpack"
  printf '%s' "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[931],{4271:function(e,t,n){\"use strict\";n.r(t);var r=n(7437);let a=\"$api\";function s(){return(0,r.jsx)(\"main\",{children:[\"$site\",a+\"/v1/health\"]})}t.default=s}}]);" \
    > "$dir/static/chunks/app/page-7c1f0e2b9d.js"
  printf '%s' '(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[774],{9008:function(e,t,n){e.exports=n(3454)}}]);' \
    > "$dir/static/chunks/framework-2c79e2a64abdb08b.js"
  printf '<!DOCTYPE html><html><body><main>%s</main></body></html>' "$site" > "$dir/server/app/index.html"
  printf 'cache' > "$dir/cache/webpack/0.pack"
}
