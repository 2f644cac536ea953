import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import './charts/echarts';
import './styles.css';

createApp(App).use(createPinia()).mount('#app');
